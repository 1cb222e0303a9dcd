"""The order libstdc++'s ``std::sort`` leaves a list in, emulated step by step.

torch's CPU ``mode`` sorts each slice with ``std::sort`` and a plain ``<``.  A
NaN compares false both ways, so the result is not a sorted list but whatever
the algorithm's exact steps make of it (introsort: median-of-three quicksort
down to 16-element blocks, heapsort past the depth limit, then an insertion
sort); ties land in no stable order either.  ``mode`` replays those steps on
slices holding a NaN, so its values and indices are torch's there.
"""


def std_sort_order(values):
    """The permutation ``std::sort`` applies to the Python list ``values`` (compared with <).

    >>> from ember._ops.reduction.stdsort import std_sort_order
    >>> std_sort_order([3.0, 1.0, 2.0])
    [1, 2, 0]
    """
    a = list(range(len(values)))

    def less(i, j):
        return values[i] < values[j]

    def linear_insert(last):
        val, nxt = a[last], last - 1
        while less(val, a[nxt]):
            a[last] = a[nxt]
            last, nxt = nxt, nxt - 1
        a[last] = val

    def insertion(first, last):
        for i in range(first + 1, last):
            val = a[i]
            if less(val, a[first]):
                a[first + 1:i + 1] = a[first:i]
                a[first] = val
            else:
                linear_insert(i)

    def adjust_heap(first, hole, length, value):
        top = child = hole
        while child < (length - 1) // 2:
            child = 2 * (child + 1)
            if less(a[first + child], a[first + child - 1]):
                child -= 1
            a[first + hole] = a[first + child]
            hole = child
        if length % 2 == 0 and child == (length - 2) // 2:
            child = 2 * (child + 1)
            a[first + hole] = a[first + child - 1]
            hole = child - 1
        parent = (hole - 1) // 2
        while hole > top and less(a[first + parent], value):
            a[first + hole] = a[first + parent]
            hole, parent = parent, (parent - 1) // 2
        a[first + hole] = value

    def heap_sort(first, last):
        length = last - first
        for parent in range((length - 2) // 2, -1, -1):
            adjust_heap(first, parent, length, a[first + parent])
        while last - first > 1:
            last -= 1
            value, a[last] = a[last], a[first]
            adjust_heap(first, 0, last - first, value)

    def median_to_first(result, x, y, z):
        if less(a[x], a[y]):
            m = y if less(a[y], a[z]) else z if less(a[x], a[z]) else x
        else:
            m = x if less(a[x], a[z]) else z if less(a[y], a[z]) else y
        a[result], a[m] = a[m], a[result]

    def partition(first, last, pivot):
        while True:
            while less(a[first], a[pivot]):
                first += 1
            last -= 1
            while less(a[pivot], a[last]):
                last -= 1
            if not first < last:
                return first
            a[first], a[last] = a[last], a[first]
            first += 1

    def introsort(first, last, depth):
        while last - first > 16:
            if depth == 0:
                heap_sort(first, last)
                return
            depth -= 1
            median_to_first(first, first + 1, first + (last - first) // 2, last - 1)
            cut = partition(first + 1, last, first)
            introsort(cut, last, depth)
            last = cut

    n = len(a)
    if n:
        introsort(0, n, 2 * (n.bit_length() - 1))
        insertion(0, min(n, 16))
        for i in range(16, n):
            linear_insert(i)
    return a


def torch_mode_index(values):
    """Index of the mode torch's CPU kernel reports for the list ``values``: the last element
    of the first longest run of equal neighbours in ``std_sort_order`` (a NaN is a run of
    its own).

    >>> from ember._ops.reduction.stdsort import torch_mode_index
    >>> torch_mode_index([float("nan"), 1.0])
    0
    """
    order = std_sort_order(values)
    best = run = 0
    index = 0
    for i, k in enumerate(order):
        run += 1
        if i == len(order) - 1 or values[k] != values[order[i + 1]]:
            if run > best:
                best, index = run, k
            run = 0
    return index
