// `npm run build`: `next build`, then records the fingerprint `npm start` uses
// to skip rebuilding unchanged sources.
import { buildApp } from "./build-fingerprint";

process.exit(await buildApp());
