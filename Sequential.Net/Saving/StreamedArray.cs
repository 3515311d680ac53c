using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>
/// A top-level array member that <see cref="BoundedJsonReader"/> hands over element by element instead of
/// keeping (a manifest's "tensors"): each element is parsed under <see cref="ItemLimits"/>, passed to
/// <see cref="OnItem"/> with its index, and dropped, so memory holds one element, not the whole list.
/// </summary>
/// <param name="Name">The member's name in the root object.</param>
/// <param name="MaxItems">Most elements; the first one past it stops the read.</param>
/// <param name="ItemLimits">Limits of each element, counted afresh per element.</param>
/// <param name="OnItem">Receives each element and its index.</param>
internal sealed record StreamedArray(string Name, int MaxItems, JsonLimits ItemLimits, Action<JToken, int> OnItem)
{
    /// <summary>Elements seen; -1 while the member has not appeared.</summary>
    public int Count { get; set; } = -1;
}
