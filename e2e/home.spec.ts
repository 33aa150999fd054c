import { expect, test } from "@playwright/test";
import { signWebhook, WEBHOOK_CONTENT_TYPE } from "../lib/livekit/sign-webhook.ts";
import { E2E_LIVEKIT } from "../playwright.config.ts";

test("the home page tells a teacher or an admin what they will find, and leads to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Rollcall" })).toBeVisible();
  await expect(page.getByText(/see who is in the room right now/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in");
  const color = await page
    .getByRole("heading", { name: "Rollcall" })
    .evaluate((element) => getComputedStyle(element).color);
  expect(color).not.toBe("rgb(0, 0, 0)");
});

test("the running app accepts a signed webhook and refuses an unsigned one", async ({ request }) => {
  const body = JSON.stringify({
    event: "room_started",
    id: `EV_e2e${Date.now()}`,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { sid: "RM_e2e", name: "e2e-room" },
  });
  const unsigned = await request.post("/api/livekit/webhook", {
    data: body,
    headers: { "content-type": WEBHOOK_CONTENT_TYPE },
  });
  expect(unsigned.status()).toBe(401);
  const signed = await request.post("/api/livekit/webhook", {
    data: body,
    headers: {
      "content-type": WEBHOOK_CONTENT_TYPE,
      authorization: await signWebhook(body, E2E_LIVEKIT.apiKey, E2E_LIVEKIT.apiSecret),
    },
  });
  expect(signed.status()).toBe(200);
  expect(await signed.json()).toMatchObject({
    ok: true,
    result: "ignored",
    note: "no session for this room at this time yet; kept, and counted if one is created",
  });
});
