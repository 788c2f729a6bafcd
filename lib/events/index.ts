// The activity log's entry points for other domains (the Claude Code PostToolUse adapter records through recordEvents).
export { recordEvents, type EventCaller, type RecordedEvents } from "./record";
export { verifyActivityChain, type ActivityChainVerification } from "./verify";
