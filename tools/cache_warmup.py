# Run once by tools/build.mjs to fill the V8 code cache (dist/pymem.cjs.cache) with the
# bytecode of the paths most programs take: functions, classes, loops, containers, strings,
# formatting, exceptions. Its output is discarded.
import sys


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def gen(n):
    for i in range(n):
        yield i * i


total = 0
for i in range(200):
    total += i % 7
d = {str(k): k for k in range(50)}
s = {k % 5 for k in range(20)}
l = sorted([Point(i, -i) for i in range(10)], key=lambda p: p.y)
t = tuple(gen(10))
words = "the quick brown fox".split()
print(total, len(d), sorted(s), l[0], sum(t), fib(12), " ".join(w.upper() for w in words))
print("%d %s %.3f" % (1, "a", 2.5), "{:>5}".format(42), repr(3.25), 10 ** 20, 7 // 2, 7 / 2)
try:
    {}["missing"]
except KeyError as e:
    print("KeyError", e)


class Ctx:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


with Ctx() as c:
    pass
print(isinstance(l, list), max(t), min(d.values()), any(s), all(t[1:]), list(zip("ab", [1, 2])))
print(sys.argv[:0], Point(1, 2) + Point(3, 4))
