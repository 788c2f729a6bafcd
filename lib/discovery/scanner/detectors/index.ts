import type { Detector } from "../types";
import { agentSettingsDetector } from "./agent-settings";
import { ciWorkflowDetector } from "./ci-workflow";
import { instructionFileDetector } from "./instruction-file";
import { mcpConfigDetector } from "./mcp-config";
import { secretDetector } from "./secret";

/** The footprint detectors, which claim files by path; the secret detector runs over every file they claim. */
export const FOOTPRINT_DETECTORS: Detector[] = [mcpConfigDetector, agentSettingsDetector, ciWorkflowDetector, instructionFileDetector];

export { secretDetector };
