import { claudeCodePreToolUseEndpoint } from "@/lib/api/runtime-endpoints";

/** Claude Code's PreToolUse hook (lib/api/runtime-endpoints.ts). In production the runtime listener answers this path before Next does. */
export const POST = claudeCodePreToolUseEndpoint;
