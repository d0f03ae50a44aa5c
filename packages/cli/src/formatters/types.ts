export interface LintMessage {
  ruleId: string | null;
  severity: number;
  fatal?: boolean;
  message: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  fix?: unknown;
}

export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  suppressedMessages?: LintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount?: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  source?: string;
  output?: string;
}

export interface RuleMetaLike {
  docs?: { description?: string; url?: string };
  type?: string;
}
