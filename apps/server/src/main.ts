import { probe } from '#domain'; console.log('probe', probe);
