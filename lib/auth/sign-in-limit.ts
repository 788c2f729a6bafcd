import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress, rateLimits, RateLimitedError } from "@/lib/rate-limit";

/**
 * For the sign-in page's server actions: a client address past
 * WARRANT_RATE_LIMIT_SIGN_IN attempts a minute is sent back to the sign-in
 * page with a message (a form cannot show a 429 itself).
 */
export async function refuseTooManySignIns(): Promise<void> {
  try {
    rateLimits.signIn.take(clientAddress(await headers()));
  } catch (error) {
    if (error instanceof RateLimitedError) redirect(`/sign-in?error=RateLimited&retryAfter=${error.retryAfterSeconds}`);
    throw error;
  }
}
