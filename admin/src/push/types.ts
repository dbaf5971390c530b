/** Push alerts as the Admin API answers them (src/push/admin.routes.ts). */
export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';
export type PushAlertStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled';

export interface PushAlert {
  id: number;
  articleId: number | null;
  title: string;
  body: string;
  url: string;
  topic: string;
  urgency: PushUrgency;
  ttlMinutes: number;
  status: PushAlertStatus;
  sendAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  recipients: number;
  counts: { sent: number; failed: number; waiting: number; clicked: number; removed: number; unknown: number };
}

export interface PushTopic {
  topic: string;
  label: string;
  subscribers: number;
}

export const PUSH_STATUS_LABEL: Record<PushAlertStatus, string> = {
  scheduled: 'Scheduled',
  sending: 'Sending',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

export const URGENCY_LABEL: Record<PushUrgency, string> = {
  high: 'High: deliver at once, even to a phone saving battery',
  normal: 'Normal',
  low: 'Low: when the device is charging or on Wi-Fi',
  'very-low': 'Very low',
};

/** Limits the server enforces (src/push/alerts.service.ts), shown as the editor types. */
export const MAX_TITLE = 120;
export const MAX_BODY = 500;
