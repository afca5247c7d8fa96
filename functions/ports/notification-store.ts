/** The outbox: every notification sent or tried, once per key. */

export interface Notification {
  /** `<document>#<threshold>#<day>` for a reminder, `dispatch#<document>` for a signed letter sent. */
  readonly key: string;
  readonly kind: 'reminder' | 'dispatch';
  readonly documentId: string;
  readonly recipient: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly threshold?: string;
  readonly day?: string;
  /** pending while it is being sent; then what the mailer said. */
  readonly status: 'pending' | 'sent' | 'delivered_to_server' | 'failed';
  readonly detail?: string;
  readonly createdAt: string;
  readonly sentAt?: string;
  /** The sender that holds a pending notification, and until when. */
  readonly attempt: string;
  readonly until: string;
}

export interface NotificationStore {
  /**
   * Records a pending notification, only if its key is new, or if the pending one under it was left
   * by a sender whose hold ran out before `now`; true when this sender now holds it.
   */
  claim(notification: Notification, now: string): Promise<boolean>;
  /** What became of it, if `attempt` still holds it. */
  settle(
    key: string,
    attempt: string,
    outcome: { status: Notification['status']; detail: string; sentAt: string },
  ): Promise<void>;
  get(key: string): Promise<Notification | null>;
  /** The keys of these that are sent, tried, or pending under a hold still running at `now`. */
  existing(keys: readonly string[], now: string): Promise<Set<string>>;
  /** The latest notifications, newest first. */
  recent(limit: number): Promise<Notification[]>;
}
