import { withRateLimit } from "@/lib/api/handler";
import { handlers } from "@/lib/auth/auth";
import { rateLimits } from "@/lib/rate-limit";

// Sign-in, callbacks and sign-out, at most WARRANT_RATE_LIMIT_SIGN_IN a minute per client address.
export const GET = withRateLimit(rateLimits.signIn, handlers.GET);
export const POST = withRateLimit(rateLimits.signIn, handlers.POST);
