// Model files in and out of the page: the worker's model directory (config.json,
// model.safetensors, optimizer.safetensors) as one .tar download and as separate files, and a
// model directory chosen by the user (files, a folder, or a .tar) read into bytes for the worker.
import { writeTar } from "../../src/formats/tar.ts";

const MAX_BYTES = 512 * 1024 * 1024;

/** Offers the files as NAME.tar (a directory NAME/ inside) and lists each as its own link. */
export function offerDownload(name: string, files: Record<string, Uint8Array>, links: HTMLElement): void {
  const tar = writeTar(Object.entries(files).map(([n, bytes]) => ({ path: `${name}/${n}`, bytes })), Math.floor(Date.now() / 1000));
  save(`${name}.tar`, new Blob([tar as BlobPart], { type: "application/x-tar" }));
  for (const a of links.querySelectorAll("a")) URL.revokeObjectURL(a.href);
  links.textContent = "separately: ";
  for (const [n, bytes] of Object.entries(files)) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([bytes as BlobPart]));
    a.download = n;
    a.textContent = n;
    links.append(a);
  }
}

function save(name: string, blob: Blob): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

/** The chosen files as name → bytes (names with their folder when a folder was chosen). */
export async function readChosen(list: FileList): Promise<{ files: Record<string, Uint8Array>; source: string }> {
  const chosen = Array.from(list);
  if (!chosen.length) throw new Error("upload: expected a model directory's files (config.json and model.safetensors) or a .tar, got none");
  const total = chosen.reduce((n, f) => n + f.size, 0);
  if (total > MAX_BYTES) throw new Error(`upload: expected at most 512 MB of files, got ${(total / 2 ** 20).toFixed(0)} MB`);
  const files: Record<string, Uint8Array> = {};
  for (const f of chosen) {
    // A folder's files carry their path inside it; only the files a model directory has are read.
    const name = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    if (!/\.(json|safetensors|tar)$/.test(name) || name.includes("/checkpoints/")) continue;
    files[name] = new Uint8Array(await f.arrayBuffer());
  }
  const first = chosen[0] as File & { webkitRelativePath?: string };
  // How errors name the upload: the folder, the archive, or "upload" (the file names follow).
  const source = first.webkitRelativePath ? first.webkitRelativePath.split("/")[0] : chosen.length === 1 && first.name.endsWith(".tar") ? first.name : "upload";
  if (!Object.keys(files).length) throw new Error(`upload: expected a model directory (config.json and model.safetensors) or a .tar, got ${chosen.slice(0, 3).map((f) => JSON.stringify(f.name)).join(", ")}`);
  return { files, source };
}
