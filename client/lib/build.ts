// Which build this code is from: when `vite build` ran (vite.config.ts defines it). Two tabs of
// an app with different values were loaded before and after an update.
declare const __APP_BUILD__: string | undefined;

export const APP_BUILD = typeof __APP_BUILD__ === 'string' ? __APP_BUILD__ : 'development';
