// The first start on a device downloads the local database engine and an empty database (~18 MB)
// after the page is shown (from the sign-in page on); the replica's worker reports its progress
// (replica/download.ts), shown here until it is done.
import { createSignal, onCleanup, Show } from 'solid-js';
import { ASSET_PROGRESS_CHANNEL, type AssetProgress } from '../replica/download.ts';

const MB = 1024 * 1024;

export function DatabaseDownload() {
  const [files, setFiles] = createSignal<Record<string, AssetProgress>>({});
  const channel = new BroadcastChannel(ASSET_PROGRESS_CHANNEL);
  channel.onmessage = (event: MessageEvent<AssetProgress>) =>
    setFiles((all) => ({ ...all, [event.data.url]: event.data }));
  onCleanup(() => channel.close());
  const totals = () => {
    const all = Object.values(files());
    return {
      loaded: all.reduce((n, f) => n + f.loaded, 0),
      total: all.reduce((n, f) => n + (f.total || f.loaded), 0),
      done: all.length > 0 && all.every((f) => f.done),
    };
  };
  return (
    <Show when={Object.keys(files()).length && !totals().done}>
      <div class="card">
        <label>
          Downloading the offline database (first time on this device): {(totals().loaded / MB).toFixed(1)} of{' '}
          {(totals().total / MB).toFixed(1)} MB
          <progress max={totals().total} value={totals().loaded} />
        </label>
      </div>
    </Show>
  );
}
