export const AuditPage = () => <h1>AuditPage</h1>;
