export const ChannelsPage = () => <h1>ChannelsPage</h1>;
