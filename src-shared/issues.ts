import type { z } from 'zod'

/** One human sentence for the first problem zod found: "month: month must be 1–12", or a custom rule's own message. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid input'
  const field = issue.path.map(String).join('.')
  if (issue.code === 'custom' || !field) return issue.message
  const last = String(issue.path[issue.path.length - 1] ?? '')
  return issue.message.toLowerCase().startsWith(last.toLowerCase())
    ? issue.message
    : `${field}: ${issue.message}`
}
