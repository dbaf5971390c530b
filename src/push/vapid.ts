/**
 * The VAPID key pair (RFC 8292) that signs every push request. Given in the
 * environment, or made on first start and kept in the database so that every
 * node, and every restart, signs with the key readers subscribed with.
 */
import webpush from 'web-push';
import type { PushConfig } from '../config.js';
import type { Clock } from '../shared/clock.js';
import type { PushRepository } from './push.repository.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export async function loadVapidKeys(config: PushConfig, repo: PushRepository, clock: Clock): Promise<VapidKeys> {
  if (config.vapid) return config.vapid;
  const stored = await repo.vapid();
  if (stored) return { publicKey: stored.public_key, privateKey: stored.private_key };
  const fresh = webpush.generateVAPIDKeys();
  await repo.insertVapidIfMissing(fresh.publicKey, fresh.privateKey, clock.now().toISOString());
  const kept = await repo.vapid(); // another node may have won the race: use its pair
  if (!kept) throw new Error('the VAPID key pair could not be stored');
  return { publicKey: kept.public_key, privateKey: kept.private_key };
}
