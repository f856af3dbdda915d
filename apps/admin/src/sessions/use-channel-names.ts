import { useEffect, useState } from 'react';
import { dataOf } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';

/** The workspace's channels by id, to name them instead of showing their ids. */
export const useChannelNames = () => {
  const { api } = useSignedIn();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    api.GET('/channels').then(
      (answer) => current && setNames(new Map(dataOf(answer).items.map((channel) => [channel.id, channel.name]))),
      (refused: unknown) => current && setError(refused),
    );
    return () => {
      current = false;
    };
  }, [api]);
  return { channelName: (id: string) => names.get(id) ?? id, channelsError: error };
};
