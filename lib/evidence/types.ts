// Plain data shared by the evidence package's documents (the OSCAL results
// and the PDF report). The job that builds a package fills these from the
// database; the documents themselves never query anything.

/** A control's state at the end of the period, as the package reports it. */
export type ControlStatus = "passing" | "failing" | "not-applicable" | "excepted";

export const CONTROL_STATUS_LABELS: Record<ControlStatus, string> = {
  passing: "Passing",
  failing: "Failing",
  "not-applicable": "Not applicable",
  excepted: "Excepted",
};

export interface Period {
  from: Date;
  to: Date;
}

/** One control's result behind a requirement. */
export interface ControlResult {
  controlId: string;
  title: string;
  status: ControlStatus;
  /** What was measured, in a sentence ("12 of 12 active identities have an owner"). */
  measure: string;
  /** Files in the package that back the result, as package paths ("inventory/identities.csv"). */
  evidence: string[];
}

/** A framework requirement assessed in the period, with the controls that decide it. */
export interface AssessedRequirement {
  frameworkId: string;
  frameworkTitle: string;
  /** The requirement's code as the framework writes it ("AC-2(3)", "GV.OC-01", "NHI1:2025"). */
  code: string;
  title: string;
  satisfied: boolean;
  controls: ControlResult[];
}
