// kintone-seek: read every record of a kintone app with the seek method.
export { getAllRecords, iteratePages, iterateRecords } from "./read.js";
export { currentView, kintoneTransport } from "./kintone.js";
export { fetchTransport } from "./fetch-transport.js";
export { KintoneApiError, KintoneSeekError } from "./errors.js";
export type { SeekErrorCode, KintoneErrorBody } from "./errors.js";
export type {
  FetchOptions,
  FetchTransportOptions,
  HttpMethod,
  KintoneRecord,
  Progress,
  Transport,
  TransportContext,
} from "./types.js";
