export {
  CodecError,
  checkEncodable,
  encode,
  decode,
  copyAcrossWire,
  encodeToBytes,
  decodeFromBytes,
} from "./codec.ts";
