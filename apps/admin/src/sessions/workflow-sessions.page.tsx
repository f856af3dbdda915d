export const WorkflowSessionsPage = ({ workflowId }: { workflowId: string }) => <h1>WorkflowSessionsPage</h1>;
