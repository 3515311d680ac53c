namespace SequentialNet.Plotting.Diagram;

/// <summary>An arrow of a model diagram, from node <paramref name="From"/> to node <paramref name="To"/> (indices).</summary>
internal readonly record struct DiagramEdge(int From, int To);
