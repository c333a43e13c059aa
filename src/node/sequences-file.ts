// Sequence classification files → a dataset (Node only; sequences.ts parses tables).
import { readCsvFile } from "./csv-file.ts";
import { type ClassifyData, type ClassifyOptions, prepareClassify } from "../data/prepare-classify.ts";

export function readClassifyFiles(sequencesPath: string, labelsPath: string, opts: ClassifyOptions = {}): ClassifyData {
  return prepareClassify(readCsvFile(sequencesPath, "--sequences"), readCsvFile(labelsPath, "--labels"), opts);
}
