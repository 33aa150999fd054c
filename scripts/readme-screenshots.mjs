#!/usr/bin/env node
// The README's pictures are the e2e run's own screenshots (e2e/accessibility.spec.ts saves every
// page, both roles, 1440 and 390 px, in e2e/results/pages/): after `npm test`, this copies the ones
// the README shows into docs/screenshots/, so the pictures are never staged by hand.
import fs from "node:fs";

const FROM = "e2e/results/pages";
const TO = "docs/screenshots";
const PICTURES = {
  "session-page.png": "session-ended-teacher-1440.png",
  "session-page-phone.png": "session-ended-teacher-390.png",
  "session-live.png": "session-live-teacher-1440.png",
  "register.png": "register-teacher-1440.png",
  "sessions-phone.png": "sessions-teacher-390.png",
};

fs.mkdirSync(TO, { recursive: true });
const missing = Object.values(PICTURES).filter((source) => !fs.existsSync(`${FROM}/${source}`));
if (missing.length) {
  console.error(
    `Run the browser tests first (npm test): ${missing.map((source) => `${FROM}/${source}`).join(", ")} missing.`,
  );
  process.exit(1);
}
for (const [picture, source] of Object.entries(PICTURES)) {
  fs.copyFileSync(`${FROM}/${source}`, `${TO}/${picture}`);
  console.log(`${TO}/${picture} ← ${FROM}/${source}`);
}
