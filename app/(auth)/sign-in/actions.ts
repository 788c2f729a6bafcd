"use server";

import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/auth";
import { SSO_PROVIDER_ID } from "@/lib/auth/auth";
import { resolveCallbackUrl } from "@/lib/auth/callback-url";
import { signInAsDemoUser } from "@/lib/auth/demo";
import { refuseTooManySignIns } from "@/lib/auth/sign-in-limit";
import { appUrl } from "@/lib/env";

export async function signInWithSsoAction(formData: FormData) {
  await refuseTooManySignIns();
  await signIn(SSO_PROVIDER_ID, { redirectTo: resolveCallbackUrl(formData.get("callbackUrl"), appUrl()) });
}

export async function signInAsDemoUserAction(formData: FormData) {
  await refuseTooManySignIns();
  const userId = formData.get("userId");
  if (typeof userId !== "string") redirect("/sign-in?error=DemoUser");
  await signInAsDemoUser(userId);
  redirect(resolveCallbackUrl(formData.get("callbackUrl"), appUrl()));
}
