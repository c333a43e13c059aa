// Edge module (Node only): reads the price and firm tables from disk, gunzipping files that
// start with the gzip magic bytes (whatever their name), and hands the text to the pure
// parsers in tables.ts. Messages name the file as the user gave it.
import { gunzipSync } from "node:zlib";
import { RecurrentError, brief } from "../../errors.ts";
import { readUserFile } from "../../node/files.ts";
import { decodeText, MAX_TEXT_BYTES } from "../../node/text-file.ts";
import { parseFirms, parsePrices, type FirmTable, type PriceTable } from "./tables.ts";

export function readText(path: string, maxBytes = MAX_TEXT_BYTES): string {
  // A regular file (a FIFO or device is refused, never read) of bounded size; gzip output
  // capped at the longest string; the text must be UTF-8 (a binary file is one line).
  let bytes: Uint8Array = readUserFile(path, maxBytes, path, "the longest text held as one string");
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (e) {
      const big = (e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
      throw new RecurrentError(`${path}: expected ${big ? `gzip data of at most ${maxBytes} bytes once decompressed` : "valid gzip data"}, got ${big ? "more" : `a corrupt stream (${brief((e as Error).message)})`}`);
    }
  }
  return decodeText(bytes, path);
}

export function readPrices(path: string): PriceTable { return parsePrices(readText(path), path); }
export function readFirms(path: string): FirmTable { return parseFirms(readText(path), path); }
