// sim/real: real mode's runtime — the simulated API on real time (real-runtime.ts), RPC between
// OS processes over loopback TCP (tcp-transport.ts, rpc-server.ts, frames.ts, rpc-messages.ts)
// and a crash-safe persister on disk (disk-persister.ts). docs/real-mode.md is the guide.
export { startRealRuntime, RealRuntime, type RealRuntimeOptions, type RealLogRecord } from "./real-runtime.ts";
export { TcpTransport, MAX_QUEUED_BYTES, type TcpTransportOptions } from "./tcp-transport.ts";
export { RpcServer, type RpcServerOptions } from "./rpc-server.ts";
export { DiskPersister, STATE_FILE } from "./disk-persister.ts";
export { FrameReader, FrameError, frame, MAX_FRAME_BYTES } from "./frames.ts";
