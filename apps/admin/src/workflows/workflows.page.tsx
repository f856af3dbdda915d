export const WorkflowsPage = () => <h1>WorkflowsPage</h1>;
