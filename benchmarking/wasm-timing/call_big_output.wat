;; Calls its own `big` (re-entry allowed), which returns 64 KiB, copying all of it back, until
;; the gas runs out: output bytes through a call.
(module
  (import "qnet" "qnet_get_contract_address" (func $address (param i32 i32) (result i32)))
  (import "qnet" "qnet_call" (func $call (param i32 i32 i32 i32 i32 i32 i64 i32 i32 i32) (result i32)))
  (import "qnet" "qnet_return" (func $return (param i32 i32)))
  (memory (export "memory") 2)
  (data (i32.const 32) "big")
  (func (export "constructor"))
  (func (export "big") (call $return (i32.const 0) (i32.const 65536)))
  (func (export "run")
    (drop (call $address (i32.const 0) (i32.const 32)))
    (loop $l
      (drop (call $call (i32.const 0) (i32.const 32) (i32.const 3) (i32.const 0) (i32.const 0)
        (i32.const 64) (i64.const 0) (i32.const 1) (i32.const 65536) (i32.const 65536)))
      (br $l))))
