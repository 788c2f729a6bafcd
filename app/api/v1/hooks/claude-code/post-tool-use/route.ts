import { claudeCodePostToolUseEndpoint } from "@/lib/api/runtime-endpoints";

/** Claude Code's PostToolUse hook (lib/api/runtime-endpoints.ts). In production the runtime listener answers this path before Next does. */
export const POST = claudeCodePostToolUseEndpoint;
