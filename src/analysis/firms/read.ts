// Edge module (Node only): reads the price and firm tables from disk, gunzipping files that
// start with the gzip magic bytes (whatever their name), and hands the text to the pure
// parsers in tables.ts. Messages name the file as the user gave it.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { RecurrentError } from "../../errors.ts";
import { parseFirms, parsePrices, type FirmTable, type PriceTable } from "./tables.ts";

export function readText(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new RecurrentError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new RecurrentError(`${path}: expected valid gzip data, got a corrupt stream (${(e as Error).message})`);
    }
  }
  return new TextDecoder("utf-8").decode(bytes);
}

export function readPrices(path: string): PriceTable { return parsePrices(readText(path), path); }
export function readFirms(path: string): FirmTable { return parseFirms(readText(path), path); }
