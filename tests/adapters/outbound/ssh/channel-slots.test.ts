import { ChannelSlots, SlotWaitTimeout } from '../../../../src/adapters/outbound/ssh/channel-slots.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ChannelSlots', () => {
  it('never grants more than max, and serves waiters in FIFO order', async () => {
    const slots = new ChannelSlots(3);
    const order: number[] = [];
    const releases = await Promise.all([slots.acquire('short'), slots.acquire('short'), slots.acquire('short')]);
    const waiting = [4, 5, 6].map((n) => slots.acquire('short').then((release) => (order.push(n), release)));
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
    await Promise.all([slots.acquire('long'), slots.acquire('long'), slots.acquire('long')]);
    expect(slots.longLivedFull).toBe(true);
    let fourthLong = false;
    void slots.acquire('long').then(() => (fourthLong = true));
    // Short commands queued behind the blocked long-lived one still get the two reserved slots.
    const shorts = await Promise.all([slots.acquire('short'), slots.acquire('short')]);
    await flush();
    expect(fourthLong).toBe(false);
    expect(slots.channelsInUse).toBe(5);
    shorts.forEach((release) => release());
    await flush();
    expect(fourthLong).toBe(false);
  });

  it('keeps one long-lived slot for a deploy while followers hold the others', async () => {
    const slots = new ChannelSlots(6); // 4 long-lived slots: 3 for followers, 1 always left for a deploy
    expect(slots.maxFollowers).toBe(3);
    await Promise.all([slots.acquire('follower'), slots.acquire('follower'), slots.acquire('follower')]);
    expect(slots.followersFull).toBe(true);
    expect(slots.longLivedFull).toBe(false);
    let fourthFollower = false;
    void slots.acquire('follower').then(() => (fourthFollower = true));
    // The deploy queued behind the blocked follower gets the slot kept for it, and short commands the reserved two.
    const deploy = await slots.acquire('long');
    const shorts = await Promise.all([slots.acquire('short'), slots.acquire('short')]);
    await flush();
    expect(fourthFollower).toBe(false);
    expect(slots.channelsInUse).toBe(6);
    // The deploy ending frees a long-lived slot, but a follower still may not take the one a deploy needs.
    deploy();
    shorts.forEach((release) => release());
    await flush();
    expect(fourthFollower).toBe(false);
    expect(slots.longLivedInUse).toBe(3);
  });

  it('lets a follower start while a deploy runs, as long as another long-lived slot stays free', async () => {
    const slots = new ChannelSlots(6);
    const deploy = await slots.acquire('long');
    await Promise.all([slots.acquire('follower'), slots.acquire('follower')]);
    expect(slots.followersFull).toBe(true); // 3 of 4 long-lived slots held: the last one is kept for a second deploy
    await slots.acquire('long');
    expect(slots.longLivedFull).toBe(true);
    deploy();
    expect(slots.followersFull).toBe(true);
  });

  it('refuses a max that leaves no room beside the reserved slots', () => {
    expect(() => new ChannelSlots(2)).toThrow(RangeError);
  });

  it('takes a waiter out of the queue at its deadline; the others keep their place', async () => {
    const slots = new ChannelSlots(3);
    const held = await Promise.all([slots.acquire('short'), slots.acquire('short'), slots.acquire('short')]);
    const late = slots.acquire('short', Date.now() + 50);
    let patientGranted = false;
    void slots.acquire('short').then(() => (patientGranted = true));
    await expect(late).rejects.toBeInstanceOf(SlotWaitTimeout);
    expect(slots.waiting).toBe(1);
    held[0]!();
    await flush();
    expect(patientGranted).toBe(true);
    expect(slots.channelsInUse).toBe(3);
  });
});
