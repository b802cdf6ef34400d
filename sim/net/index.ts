export { Network, ClientEnd, Server, Service, RpcNote, type ServiceApi, type NetworkOptions } from "./network.ts";
export { FaultModel, DEFAULT_LATENCY, type LatencyRange } from "./faults.ts";
