using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace SequentialNet;

/// <summary>
/// The logs Fit hands to per-batch callbacks: the running means (loss, metrics) of the steps so far, read back
/// from the device only when a callback looks at them. So a callback that overrides a batch hook but does not
/// read its logs (counts batches, sets StopTraining) costs no host synchronization, and one that reads them
/// (TerminateOnNaN, a CSV per batch) gets exactly the values of that step, at the price of one synchronization
/// per step it reads in (the CPU backend waits for nothing). Writes (Keras callbacks writing into logs) go to
/// the same dictionary the epoch logs use. Allocates nothing per step.
/// </summary>
internal sealed class BatchLogs(CompiledModel compiled, Dictionary<string, double> logs) : IReadOnlyDictionary<string, double>, IDictionary<string, double>
{
    private int _staleSeen = -1;   // ≥ 0: the device holds newer values, of this many samples

    /// <summary>A step ran: the next look reads the running means of <paramref name="seen"/> samples.</summary>
    public void MarkStale(int seen) => _staleSeen = seen;

    /// <summary>Forgets a pending read (the epoch ended; its logs are read there).</summary>
    public void Discard() => _staleSeen = -1;

    /// <summary>Whether the dictionary already holds the latest step's values (a callback read them).</summary>
    public bool IsFresh => _staleSeen < 0;

    private Dictionary<string, double> Fresh()
    {
        if (_staleSeen >= 0)
        {
            Model.ReadLogs(compiled, compiled.TrainAccumulators, _staleSeen, "", logs);
            _staleSeen = -1;
        }
        return logs;
    }

    public double this[string key]
    {
        get => Fresh()[key];
        set => Fresh()[key] = value;
    }

    public IEnumerable<string> Keys => Fresh().Keys;
    public IEnumerable<double> Values => Fresh().Values;
    ICollection<string> IDictionary<string, double>.Keys => Fresh().Keys;
    ICollection<double> IDictionary<string, double>.Values => Fresh().Values;
    public int Count => Fresh().Count;
    public bool IsReadOnly => false;
    public bool ContainsKey(string key) => Fresh().ContainsKey(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value) => Fresh().TryGetValue(key, out value);
    public void Add(string key, double value) => Fresh().Add(key, value);
    public bool Remove(string key) => Fresh().Remove(key);
    public void Add(KeyValuePair<string, double> item) => ((ICollection<KeyValuePair<string, double>>)Fresh()).Add(item);
    public void Clear() => Fresh().Clear();
    public bool Contains(KeyValuePair<string, double> item) => ((ICollection<KeyValuePair<string, double>>)Fresh()).Contains(item);
    public void CopyTo(KeyValuePair<string, double>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, double>>)Fresh()).CopyTo(array, arrayIndex);
    public bool Remove(KeyValuePair<string, double> item) => ((ICollection<KeyValuePair<string, double>>)Fresh()).Remove(item);
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => Fresh().GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
