;; Calls an address without a contract until the gas runs out: the cheapest refused call (the
;; record lookup misses).
(module
  (import "qnet" "qnet_call" (func $call (param i32 i32 i32 i32 i32 i32 i64 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09\09")
  (func (export "constructor"))
  (func (export "run") (local $i i32)
    (loop $l
      ;; A new address every time: no lookup is served by the overlay's cache.
      (i32.store (i32.const 0) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (drop (call $call (i32.const 0) (i32.const 32) (i32.const 4) (i32.const 0) (i32.const 0)
        (i32.const 64) (i64.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
      (br $l))))
