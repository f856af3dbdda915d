export const WorkflowEditorPage = ({ workflowId }: { workflowId: string }) => <h1>WorkflowEditorPage</h1>;
