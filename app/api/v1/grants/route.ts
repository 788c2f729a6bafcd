import { apiMutation } from "@/lib/api/handler";
import { createGrant } from "@/lib/inventory/grants";

export const POST = apiMutation(createGrant, { status: 201 });
