package io.flb4j.codec;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The map a decoded record or nested map becomes when it is small: keys and values side by side
 * in one array, in the chunk's order. Two objects per map instead of a {@code LinkedHashMap}'s
 * table and one node per entry; lookups scan at most {@link #MAX} keys, comparing identity first
 * (the decoder hands out one {@code String} per distinct key). Mutable, like the
 * {@code LinkedHashMap} it stands in for; larger maps decode to a {@code LinkedHashMap}.
 */
final class RecordMap extends AbstractMap<String, Object> {
    /** The most entries a decoded map of this kind starts with. */
    static final int MAX = 16;

    private Object[] slots;   // key0, value0, key1, value1, ...
    private int size;
    private int modCount;

    RecordMap(int capacity) {
        slots = new Object[Math.max(2, 2 * capacity)];
    }

    /** Appends without looking for the key: the decoder's path, for keys not seen in this map. */
    void append(String key, Object value) {
        if (2 * size == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
        }
        slots[2 * size] = key;
        slots[2 * size + 1] = value;
        size++;
        modCount++;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (slots[2 * i] == key) {
                return i;
            }
        }
        if (key != null) {
            for (int i = 0; i < size; i++) {
                if (key.equals(slots[2 * i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : slots[2 * i + 1];
    }

    @Override
    public Object put(String key, Object value) {
        int i = indexOf(key);
        if (i >= 0) {
            Object old = slots[2 * i + 1];
            slots[2 * i + 1] = value;
            return old;
        }
        append(key, value);
        return null;
    }

    @Override
    public Object remove(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        Object old = slots[2 * i + 1];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        System.arraycopy(slots, 2 * i + 2, slots, 2 * i, 2 * (size - i - 1));
        size--;
        slots[2 * size] = null;
        slots[2 * size + 1] = null;
        modCount++;
    }

    @Override
    public void clear() {
        Arrays.fill(slots, 0, 2 * size, null);
        size = 0;
        modCount++;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Entries();
            }
        };
    }

    private final class Entries implements Iterator<Entry<String, Object>> {
        private int next;
        private int last = -1;
        private int expected = modCount;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Entry<String, Object> next() {
            if (expected != modCount) {
                throw new ConcurrentModificationException();
            }
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return new Slot(last);
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            if (expected != modCount) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modCount;
        }
    }

    /** An entry that reads and writes its slot. */
    private final class Slot implements Entry<String, Object> {
        private final int index;

        Slot(int index) {
            this.index = index;
        }

        @Override
        public String getKey() {
            return (String) slots[2 * index];
        }

        @Override
        public Object getValue() {
            return slots[2 * index + 1];
        }

        @Override
        public Object setValue(Object value) {
            Object old = slots[2 * index + 1];
            slots[2 * index + 1] = value;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(getKey(), e.getKey())
                    && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return getKey() + "=" + getValue();
        }
    }
}
