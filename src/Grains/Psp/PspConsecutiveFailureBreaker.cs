namespace Payments.Actors.Grains.Psp;

/// <summary>
/// The breaker's second rule (seed §2): N failed attempts in a row open it for one break duration;
/// then exactly one call goes through as the half-open probe: its success closes the breaker, its
/// failure opens it again. Polly's breaker has no such rule, so this small state machine sits next to
/// it, under one lock (every transition is a few field writes, never I/O).
/// <para>
/// Races it closes: each admitted attempt carries the generation it was admitted in, and an outcome
/// from an older generation changes nothing — a slow success that started before the breaker opened
/// cannot reset the count or close it, and a slow failure cannot re-open it after the probe succeeded.
/// Only one probe is in flight at a time; a probe that never reports back (which would wedge the
/// breaker half-open) is replaced after one break duration. The state lives per PSP, outside the Polly
/// pipeline, so an operator's threshold change does not reset it.
/// </para>
/// </summary>
public sealed class PspConsecutiveFailureBreaker(TimeProvider time)
{
    public enum State
    {
        Closed,
        Open,
        HalfOpen,
    }

    /// <summary>Handed out with every admitted attempt and given back with its outcome.</summary>
    public readonly record struct Ticket(long Generation, bool IsProbe);

    private readonly Lock _gate = new();
    private State _state = State.Closed;
    private int _failures;
    private long _generation;
    private DateTimeOffset _openUntil;
    private DateTimeOffset? _probeSince;

    /// <summary>The state as routing and health should see it: an open breaker whose break is over reads half-open, inviting the probe.</summary>
    public State Current
    {
        get
        {
            lock (_gate)
            {
                return _state == State.Open && time.GetUtcNow() >= _openUntil ? State.HalfOpen : _state;
            }
        }
    }

    /// <summary>Failures in a row so far (0 unless closed).</summary>
    public int ConsecutiveFailures
    {
        get
        {
            lock (_gate)
            {
                return _failures;
            }
        }
    }

    /// <summary>False when the call must be refused unsent: open, or half-open with the probe already out.</summary>
    public bool TryEnter(TimeSpan breakDuration, out Ticket ticket)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_state == State.Open && now >= _openUntil)
            {
                _state = State.HalfOpen;
                _probeSince = null;
            }

            switch (_state)
            {
                case State.Closed:
                    ticket = new Ticket(_generation, IsProbe: false);
                    return true;
                case State.HalfOpen when _probeSince is null || now - _probeSince >= breakDuration:
                    // A new probe supersedes a lost one: bump the generation so the lost one's late answer is ignored.
                    _generation++;
                    _probeSince = now;
                    ticket = new Ticket(_generation, IsProbe: true);
                    return true;
                default:
                    ticket = default;
                    return false;
            }
        }
    }

    /// <summary>Records an admitted attempt's outcome; returns the state it moved to, or null when it did not move.</summary>
    public State? Record(Ticket ticket, bool failed, int threshold, TimeSpan breakDuration)
    {
        lock (_gate)
        {
            if (ticket.Generation != _generation)
            {
                return null;
            }

            if (ticket.IsProbe)
            {
                if (failed)
                {
                    OpenLocked(breakDuration);
                    return State.Open;
                }

                _state = State.Closed;
                _failures = 0;
                _probeSince = null;
                _generation++;
                return State.Closed;
            }

            if (!failed)
            {
                _failures = 0;
                return null;
            }

            if (++_failures < threshold)
            {
                return null;
            }

            OpenLocked(breakDuration);
            return State.Open;
        }
    }

    /// <summary>Gives back an admitted attempt that was never made (refused further in): a probe slot is freed for the next call.</summary>
    public void Release(Ticket ticket)
    {
        lock (_gate)
        {
            if (ticket.IsProbe && ticket.Generation == _generation && _state == State.HalfOpen)
            {
                _probeSince = null;
            }
        }
    }

    /// <summary>Opens the breaker for one break duration whatever its state (a pipeline rebuilt while Polly's breaker was open keeps the PSP broken).</summary>
    public void Trip(TimeSpan breakDuration)
    {
        lock (_gate)
        {
            OpenLocked(breakDuration);
        }
    }

    /// <summary>Closes the breaker with no failures counted, whatever its state (an operator's reset); outcomes of attempts admitted before change nothing.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _state = State.Closed;
            _failures = 0;
            _probeSince = null;
            _generation++;
        }
    }

    private void OpenLocked(TimeSpan breakDuration)
    {
        _state = State.Open;
        _openUntil = time.GetUtcNow() + breakDuration;
        _failures = 0;
        _probeSince = null;
        _generation++;
    }
}
