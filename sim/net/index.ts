export { Network, ClientEnd, Server, Service, type ServiceApi, type RpcTransport, type NetworkOptions, type RpcObserver, type WatchedCall, type HeldRequest, type HoldRule, MAX_HELD_REQUESTS } from "./network.ts";
export { RpcKind, rpcKinds, RpcNote, DropReason } from "./rpc-entries.ts";
export { FaultModel, DEFAULT_LATENCY, type LatencyRange } from "./faults.ts";
