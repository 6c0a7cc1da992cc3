import { ChannelSlots, SlotWaitTimeout } from '../../../../src/adapters/outbound/ssh/channel-slots.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ChannelSlots', () => {
  it('never grants more than max, and serves waiters in FIFO order', async () => {
    const slots = new ChannelSlots(3);
    const order: number[] = [];
    const releases = await Promise.all([slots.acquire(false), slots.acquire(false), slots.acquire(false)]);
    const waiting = [4, 5, 6].map((n) => slots.acquire(false).then((release) => (order.push(n), release)));
    await flush();
    expect(slots.channelsInUse).toBe(3);
    expect(slots.waiting).toBe(3);
    releases[1]!();
    releases[1]!(); // idempotent: one release frees one slot
    await flush();
    expect(order).toEqual([4]);
    releases[0]!();
    releases[2]!();
    await Promise.all(waiting);
    expect(order).toEqual([4, 5, 6]);
    expect(slots.maxChannelsSeen).toBe(3);
  });

  it('keeps the last two slots away from long-lived channels', async () => {
    const slots = new ChannelSlots(5);
    await Promise.all([slots.acquire(true), slots.acquire(true), slots.acquire(true)]);
    expect(slots.longLivedFull).toBe(true);
    let fourthLong = false;
    void slots.acquire(true).then(() => (fourthLong = true));
    // Short commands queued behind the blocked long-lived one still get the two reserved slots.
    const shorts = await Promise.all([slots.acquire(false), slots.acquire(false)]);
    await flush();
    expect(fourthLong).toBe(false);
    expect(slots.channelsInUse).toBe(5);
    shorts.forEach((release) => release());
    await flush();
    expect(fourthLong).toBe(false);
  });

  it('refuses a max that leaves no room beside the reserved slots', () => {
    expect(() => new ChannelSlots(2)).toThrow(RangeError);
  });

  it('takes a waiter out of the queue at its deadline; the others keep their place', async () => {
    const slots = new ChannelSlots(3);
    const held = await Promise.all([slots.acquire(false), slots.acquire(false), slots.acquire(false)]);
    const late = slots.acquire(false, Date.now() + 50);
    let patientGranted = false;
    void slots.acquire(false).then(() => (patientGranted = true));
    await expect(late).rejects.toBeInstanceOf(SlotWaitTimeout);
    expect(slots.waiting).toBe(1);
    held[0]!();
    await flush();
    expect(patientGranted).toBe(true);
    expect(slots.channelsInUse).toBe(3);
  });
});
