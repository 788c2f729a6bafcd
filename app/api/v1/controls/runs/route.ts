import { apiMutation } from "@/lib/api/handler";
import { runControls } from "@/lib/controls/run";

/** Security leads: run every control now (the daily job runs them too). */
export const POST = apiMutation(runControls, { status: 201 });
