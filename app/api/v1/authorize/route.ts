import { authorizeEndpoint } from "@/lib/api/runtime-endpoints";

/** An AI identity asks before acting (lib/api/runtime-endpoints.ts). In production the runtime listener answers this path before Next does. */
export const POST = authorizeEndpoint;
