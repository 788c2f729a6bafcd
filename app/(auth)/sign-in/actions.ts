"use server";

import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/auth";
import { SSO_PROVIDER_ID } from "@/lib/auth/auth";
import { signInAsDemoUser } from "@/lib/auth/demo";
import { refuseTooManySignIns } from "@/lib/auth/sign-in-limit";

/** Only same-site paths: an open redirect after sign-in would help phishing. */
function safeCallback(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export async function signInWithSsoAction(formData: FormData) {
  await refuseTooManySignIns();
  await signIn(SSO_PROVIDER_ID, { redirectTo: safeCallback(formData.get("callbackUrl")) });
}

export async function signInAsDemoUserAction(formData: FormData) {
  await refuseTooManySignIns();
  const userId = formData.get("userId");
  if (typeof userId !== "string") redirect("/sign-in?error=DemoUser");
  await signInAsDemoUser(userId);
  redirect(safeCallback(formData.get("callbackUrl")));
}
