export const ChatWidgetPage = ({ channelId }: { channelId: string }) => <h1>ChatWidgetPage</h1>;
