// The product's logger is the shape service's: a tiny levelled logger for a person at a
// terminal. The service owns it (it may import nothing of the product); the product reuses it.
export {
  consoleLogger as createLogger,
  type Logger,
  type LogLevel,
} from './shape-service/logger.ts';
