import { eventsEndpoint } from "@/lib/api/runtime-endpoints";

/** An AI identity reports what it did (lib/api/runtime-endpoints.ts). In production the runtime listener answers this path before Next does. */
export const POST = eventsEndpoint;
