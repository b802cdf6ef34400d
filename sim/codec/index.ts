export {
  CodecError,
  checkEncodable,
  encode,
  decode,
  copyAcrossWire,
  encodeToBytes,
  decodeFromBytes,
  describeValue,
} from "./codec.ts";
export { immutable } from "./kept-encodings.ts";
