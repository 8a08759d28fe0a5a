// Text a caller typed, as a literal (I)LIKE operand. Prisma writes `contains`,
// `startsWith` and an insensitive `equals` as (I)LIKE without escaping, so `%`
// and `_` would match anything (backslash is PostgreSQL's default LIKE escape).
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, '\\$&');
