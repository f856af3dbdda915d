import { AuditLog } from './audit-log.js';
import { WorkflowHistorySection } from './workflow-history.js';
import './audit.css';

/** Tools > Audit log: read-only for everyone, auditors and admins alike. */
export const AuditPage = () => (
  <>
    <header className="page-header">
      <h1>Audit log</h1>
    </header>
    <p className="hint">
      Everything recorded in this workspace, read from the event log itself: who did what, and when. Nothing here changes anything.
    </p>
    <WorkflowHistorySection />
    <AuditLog />
  </>
);
