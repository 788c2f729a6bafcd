import { apiMutation } from "@/lib/api/handler";
import { submitScan } from "@/lib/discovery/ingest";
import { MAX_SCAN_REPORT_BYTES } from "@/lib/validation/discovery";

/** A scan report from `npm run cli -- scan --submit` (or a saved --report): the repository's findings are updated. */
export const POST = apiMutation(submitScan, { status: 201, maxBodyBytes: MAX_SCAN_REPORT_BYTES });
