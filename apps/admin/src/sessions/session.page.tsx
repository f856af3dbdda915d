export const SessionPage = ({ sessionId }: { sessionId: string }) => <h1>SessionPage</h1>;
